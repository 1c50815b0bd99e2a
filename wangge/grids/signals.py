"""Keep this process's in-memory locate and address indexes in step with the tables."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wangge.grids import indexes
from wangge.grids.models import Building, GridNode


@receiver([post_save, post_delete], sender=GridNode, dispatch_uid="grids.index-node")
@receiver([post_save, post_delete], sender=Building, dispatch_uid="grids.index-building")
def _invalidate(sender: type, **kwargs: Any) -> None:
    indexes.invalidate()
