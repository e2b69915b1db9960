"""Reads of the catalog, one module per concern: `visibility` (who may see and open what),
`enrollments`, `browse` (the catalog and its search), `course_page` and `roster` (the admin's
roster of an offering)."""
