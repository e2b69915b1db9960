"""Signals for apps above `syllabus` that keep facts derived from the shape of the tree.

Imports flow upwards only (syllabus never imports content or assessments), so a change to the
tree that can change which items a module's subtree shows is announced here and the progress
app recomputes what it derived. Sent synchronously inside the writing transaction, after the
change: a listener's writes commit or roll back with the change itself.

`modules_changed` sends `course_id`, `module_ids` (modules whose subtree gained or lost items:
the old parent of a moved or deleted module; their ancestors are affected too) and
`subtree_ids` (modules whose whole subtree may have changed visibility: a published,
unpublished or moved module).
"""

from django.dispatch import Signal

modules_changed = Signal()
