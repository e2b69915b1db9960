"""Signals for apps above `content` that keep facts derived from where items sit.

Imports flow upwards only (content never imports assessments), so a change to the tree that
invalidates a learner's module progress is announced here and the progress app recomputes it.
Sent synchronously inside the writing transaction: a listener's writes commit or roll back
with the change itself.

`item_moved` sends `item_id`, `course_id`, `source_module_id` and `target_module_id`.
`item_visibility_changed` sends `item_id`, `course_id` and `module_id` when an item starts or
stops counting in its module: an active item created, an item activated or deactivated, an
active item deleted (then `item_id` names a row that is gone).
`item_payload_changed` sends `item_id`, `course_id` and `module_id` when an item's payload
(`data_json`) changed, such as the points a lab or an assignment is out of.
"""

from django.dispatch import Signal

item_moved = Signal()
item_visibility_changed = Signal()
item_payload_changed = Signal()
