from huey.contrib.djhuey import db_task

from wangge.enterprises.pushes import policy_push


@db_task()
def policy_push_task(policy_id: int) -> int:
    """Announce a published policy to a large registry off the request (see _schedule_push)."""
    return policy_push(policy_id=policy_id)
