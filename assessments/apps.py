from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from assessments import receivers  # noqa: F401  (connects the grade rollup triggers)
        from assessments.quiz_selectors import question_pool_options
        from assessments.selectors import learners_worked_on
        from content.archive import register_student_work_check
        from content.types.quiz import register_quiz_pool_source

        register_quiz_pool_source(question_pool_options)
        register_student_work_check(learners_worked_on)
