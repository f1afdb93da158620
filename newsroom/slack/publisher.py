"""Publication to Slack: an approved explainer is posted to NEWSROOM_SLACK_PUBLISH_CHANNEL."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from newsroom.publication import Publisher, PublishError
from newsroom.slack.blocks import MAX_BLOCKS, MAX_TEXT, explainer_blocks, update_actions
from newsroom.slack.mrkdwn import cut, escape

log = logging.getLogger("newsroom.slack")

_WHY = {
    "not_in_channel": "the bot is not in the channel — invite it, then press Retry",
    "channel_not_found": "the channel does not exist or the bot cannot see it — check "
    "NEWSROOM_SLACK_PUBLISH_CHANNEL (or invite the bot to the private channel), then press Retry",
    "is_archived": "the channel is archived — unarchive it or choose another, then press Retry",
    "ratelimited": "Slack asked newsroom to slow down — it retries by itself, or press Retry",
}


def slack_publisher(client: WebClient, channel: str | None) -> Publisher:
    """The Slack publication target, handed to the Newsroom when it is built (`serve`, the CLI)."""

    def publish(explainer: dict[str, Any]) -> dict[str, str]:
        if not channel:
            log.info(
                "no NEWSROOM_SLACK_PUBLISH_CHANNEL set; %s exported to files only", explainer["story_id"]
            )
            return {}
        blocks = explainer_blocks(explainer)
        if (
            explainer.get("kind") != "briefing"
        ):  # a published explainer lives on: Update writes its next version
            blocks.append(update_actions(str(explainer["story_id"])))
        first = ""
        try:
            for start in range(0, len(blocks), MAX_BLOCKS):
                resp = client.chat_postMessage(
                    channel=channel,
                    blocks=blocks[start : start + MAX_BLOCKS],
                    text=cut(escape(explainer.get("headline") or "Explainer"), MAX_TEXT),
                    unfurl_links=False,
                )
                first = first or str(resp.get("ts", ""))
        except SlackApiError as exc:
            error = str(exc.response.get("error", "") if exc.response else "")
            why = _WHY.get(error, f"Slack answered {error or 'an error'} — press Retry")
            raise PublishError(f"publishing to <#{channel}> failed: {why}") from None
        except (SlackClientError, OSError) as exc:
            raise PublishError(
                f"publishing to <#{channel}> failed: Slack could not be reached ({type(exc).__name__})"
                " — newsroom retries by itself, or press Retry"
            ) from None
        return {"slack_channel": channel, "slack_ts": first}

    return publish
