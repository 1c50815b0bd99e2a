"""Signals other apps listen to, so accounts does not depend on them.

`real_name_verified` is sent when a person completes real-name verification, inside its
transaction, after the ID number's keyed hash is saved: sender=User, user. The register of
residents listens to link the person it already knows by that number (registering later).

`sms_code_issued` is sent when a login code is issued, inside its transaction: sender=User,
phone, text, code. The notifications app, a floor above, listens and queues the text message
(after commit), so accounts neither knows the gateway nor imports its caller's caller.
"""

from django.dispatch import Signal

real_name_verified = Signal()
sms_code_issued = Signal()
