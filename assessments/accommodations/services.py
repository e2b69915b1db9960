"""Writes of accommodations."""

from django.db import transaction

from assessments.accommodations.models import Accommodation


def accommodation_save(accommodation: Accommodation) -> Accommodation:
    """Check the accommodation (ValidationError with a message per field, nothing stored) and
    store it. An attempt already started keeps its deadline; the next start has the new one."""
    accommodation.full_clean()
    with transaction.atomic():
        accommodation.save()
    return accommodation
