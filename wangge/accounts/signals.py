"""Signals other apps listen to, so accounts does not depend on them.

`real_name_verified` is sent when a person completes real-name verification, inside its
transaction, after the ID number's keyed hash is saved: sender=User, user. The register of
residents listens to link the person it already knows by that number (registering later).
"""

from django.dispatch import Signal

real_name_verified = Signal()
