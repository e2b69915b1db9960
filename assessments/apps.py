from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from assessments.permissions import role_permissions_register
        from assessments.progress.selectors import learners_worked_on
        from assessments.quizzes.selectors import question_pool_options
        from content.archive import register_student_work_check
        from content.types.quiz import register_quiz_pool_source

        register_quiz_pool_source(question_pool_options)
        register_student_work_check(learners_worked_on)
        role_permissions_register()
