from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages students use in the browser. Each page composes the selectors and services of
    the apps below it (catalog, syllabus, content, assessments, community) in a thin view."""

    name = "portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse

        from lms import links

        # The pages that show what the apps below link to in mail and in the admin.
        links.register(
            "discussion-thread",
            lambda *, offering_id, thread_id: reverse(
                "portal:thread", kwargs={"offering_id": offering_id, "thread_id": thread_id}
            ),
        )
        links.register(
            "discussion-notification-settings",
            lambda: reverse("portal:discussion-notifications"),
        )
        links.register(
            "invitation", lambda *, token: reverse("portal:invitation", kwargs={"token": token})
        )
        links.register(
            "notification-preferences", lambda: reverse("portal:notification-preferences")
        )
        links.register(
            "course", lambda *, course_id: reverse("portal:course-detail", args=[course_id])
        )
        links.register(
            "course-outline", lambda *, offering_id: reverse("portal:outline", args=[offering_id])
        )
        links.register(
            "course-grades", lambda *, offering_id: reverse("portal:grades", args=[offering_id])
        )
        links.register(
            "certificate-verification",
            lambda *, code: reverse("portal:certificate-verify", kwargs={"code": code}),
        )
        links.register(
            "content-item",
            lambda *, offering_id, item_id: reverse(
                "portal:item", kwargs={"offering_id": offering_id, "item_id": item_id}
            ),
        )
        links.register(
            "course-outline",
            lambda *, offering_id: reverse("portal:outline", kwargs={"offering_id": offering_id}),
        )
