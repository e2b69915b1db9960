"""Engineering labs: the submissions students upload and their autograding.

- `uploads`: turns uploaded files or an archive into a checked set of relative paths.
- `sandbox`: the runners that execute a lab's hidden tests against a submission, chosen by the
  `LAB_RUNNER` setting; `harness` is the script they run inside the sandbox.
- `models`: lab submissions (assignments are graded as rows of the same table) and lab files;
  `admin` their model admins.
- `selectors` and `services`: the reads and writes of lab files and submissions; `tasks` holds
  the Celery task that autogrades one submission.
"""
