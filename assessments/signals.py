"""Signals other parts of the project listen to when a learner's work gets a score.

The grade rollup reacts to them; the senders fire them with `transaction.on_commit`, so a
listener only ever sees committed scores. Arguments: `attempt_scored` sends `attempt_id`,
`user_id`, `offering_id` and `item_id`; `submission_graded` sends `submission_id`, `user_id`,
`offering_id` and `item_id`.
"""

from django.dispatch import Signal

attempt_scored = Signal()
submission_graded = Signal()
