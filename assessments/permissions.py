"""What each role may do in the admin with assessments' models, and what teaching assistants
may grade. Run from AssessmentsConfig.ready()."""

from tenancy.auth import (
    ADMIN_ROLES,
    ALL,
    EDIT,
    TEACHING_ROLES,
    VIEW,
    register_models_permissions,
    register_ta_limit,
)


def role_permissions_register() -> None:
    # Teaching assistants grade: they may change attempts and submissions (tenancy.auth holds
    # every other grant to them to viewing).
    for model in ("quizattempt", "labsubmission", "assignmentsubmission"):
        register_ta_limit("assessments", EDIT, model=model)
    # Progress is the learners' record, staff read it; grading is staff work.
    register_models_permissions(
        "assessments",
        ["usermoduleprogress", "usercontentprogress", "certificate"],
        {**{role: EDIT for role in ADMIN_ROLES}, **{role: VIEW for role in TEACHING_ROLES}},
    )
    register_models_permissions(
        "assessments",
        ["quizattempt", "labsubmission", "coursegrade", "gradingpolicy"],
        {role: ALL for role in (*ADMIN_ROLES, *TEACHING_ROLES)},
    )
