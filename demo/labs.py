"""The files of the demo labs: a starter module, its measurement data, a notebook and hidden tests
the default runner grades, so a demo student can submit a solution and get a score.

Every Python lab asks for the same small analysis of its `data/measurements.csv` (a mean and a
least-squares line) in `<folder>/analysis.py`. `SOLUTION` is a complete answer: uploading it as
`analysis.py` passes every test. MATLAB labs get their test scripts, which only the container
runner (with a MATLAB image) can run.
"""

import json

from assessments.labs.models import LabFile
from content.models import ContentItem

# y = 2.5 x + 1 exactly, so the expected fit is known.
MEASUREMENTS = "x,y\n" + "".join(f"{x},{2.5 * x + 1:g}\n" for x in range(0, 10))

STARTER = '''"""Lab analysis: fill in the three functions, then submit this file."""

import csv


def load_measurements(path):
    """The (x, y) pairs of the CSV file at `path` (columns x and y), as floats."""
    with open(path, newline="") as handle:
        return [(float(row["x"]), float(row["y"])) for row in csv.DictReader(handle)]


def mean(values):
    """The arithmetic mean of `values`; ValueError for no values."""
    raise NotImplementedError


def linear_fit(points):
    """(slope, intercept) of the least-squares line through the (x, y) `points`; ValueError
    for fewer than two points or when every x is the same."""
    raise NotImplementedError
'''

SOLUTION = '''"""Lab analysis: a reference solution."""

import csv


def load_measurements(path):
    with open(path, newline="") as handle:
        return [(float(row["x"]), float(row["y"])) for row in csv.DictReader(handle)]


def mean(values):
    values = list(values)
    if not values:
        raise ValueError("no values")
    return sum(values) / len(values)


def linear_fit(points):
    points = list(points)
    if len(points) < 2:
        raise ValueError("need two points")
    mx = mean(x for x, _ in points)
    my = mean(y for _, y in points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        raise ValueError("every x is the same")
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return slope, my - slope * mx
'''

_LOADER = """import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("analysis", ROOT / "{folder}" / "analysis.py")
analysis = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(analysis)
DATA = ROOT / "{folder}" / "data" / "measurements.csv"
"""

TEST_RESULTS = """

def test_loads_the_measurements():
    points = analysis.load_measurements(DATA)
    assert len(points) == 10
    assert points[0] == (0.0, 1.0)


def test_mean_of_the_readings():
    ys = [y for _, y in analysis.load_measurements(DATA)]
    assert abs(analysis.mean(ys) - 12.25) < 1e-9


def test_fit_recovers_the_line():
    slope, intercept = analysis.linear_fit(analysis.load_measurements(DATA))
    assert abs(slope - 2.5) < 1e-9, f"slope {slope}"
    assert abs(intercept - 1.0) < 1e-9, f"intercept {intercept}"
"""

TEST_EDGE_CASES = """

def _raises_value_error(func, *args):
    try:
        func(*args)
    except ValueError:
        return True
    return False


def test_mean_of_nothing_is_an_error():
    assert _raises_value_error(analysis.mean, []), "mean([]) should raise ValueError"


def test_fit_needs_two_points():
    assert _raises_value_error(analysis.linear_fit, [(1.0, 2.0)])


def test_fit_of_a_vertical_line_is_an_error():
    assert _raises_value_error(analysis.linear_fit, [(1.0, 2.0), (1.0, 3.0)])
"""

MATLAB_TEST = """%% {name}: runs the student's run_lab and checks its results.
results = run_lab();
assert(isfield(results, 'slope'), 'run_lab must return a struct with a slope');
assert(abs(results.slope - 2.5) < 1e-9, 'the fitted slope is off');
"""


def _notebook(folder: str) -> str:
    cells = [
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": [
                "# Lab notebook\n",
                f"Explore `{folder}/data/measurements.csv` here; put your functions in ",
                f"`{folder}/analysis.py` and submit that file.",
            ],
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                "import analysis\n",
                "points = analysis.load_measurements('data/measurements.csv')\n",
                "analysis.linear_fit(points)",
            ],
        },
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, indent=1)


def lab_file_contents(payload: dict) -> dict[str, bytes]:
    """The content of each file the lab's payload lists."""
    contents: dict[str, bytes] = {}
    for entry in payload.get("files") or []:
        path, folder = entry["path"], entry["path"].split("/", 1)[0]
        name = path.rsplit("/", 1)[-1]
        if payload.get("runtime") == "matlab":
            if entry["role"] == "hidden_test":
                contents[path] = MATLAB_TEST.format(name=name).encode()
            continue
        lab_folder = next(
            (f["path"].split("/", 1)[0] for f in payload["files"] if f["path"].endswith(".ipynb")),
            folder,
        )
        if name == "analysis.py":
            text = STARTER
        elif name == "measurements.csv":
            text = MEASUREMENTS
        elif name.endswith(".ipynb"):
            text = _notebook(lab_folder)
        elif name == "test_results.py":
            text = _LOADER.format(folder=lab_folder) + TEST_RESULTS
        elif name == "test_edge_cases.py":
            text = _LOADER.format(folder=lab_folder) + TEST_EDGE_CASES
        else:
            continue
        contents[path] = text.encode()
    return contents


def lab_files_seed(course_ids: list[int]) -> int:
    """Lab files for every lab of the courses; files already there are kept. Returns how many
    were added."""
    rows = []
    items = ContentItem.objects.filter(
        course_id__in=course_ids, content_type="engineering_lab"
    ).values_list("pk", "data_json")
    for item_id, payload in items.order_by("pk"):
        for path, content in lab_file_contents(payload).items():
            rows.append(LabFile(content_item_id=item_id, path=path, content=content))
    before = LabFile.objects.count()
    LabFile.objects.bulk_create(rows, ignore_conflicts=True)
    return LabFile.objects.count() - before
