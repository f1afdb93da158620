"""The Slack bot fixtures, shared by every file that drives the bot over HTTP."""

from tests.integration.test_slack import allow_local, bot  # noqa: F401  (registered as fixtures)
