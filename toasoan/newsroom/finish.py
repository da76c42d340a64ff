"""What happens when a story passes the last step of its workflow (no imports: Wagtail loads
this while defining its own models, via WAGTAIL_FINISH_WORKFLOW_ACTION)."""


def publish_approved(workflow_state, user=None) -> None:
    """Publish (or schedule) the approved story.

    The workflow decides who approves its last step, so that approval is the permission:
    in the breaking-news lane the managing editor, who cannot publish otherwise, publishes.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
