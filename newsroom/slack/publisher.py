"""Publication to Slack: an approved explainer is posted to NEWSROOM_SLACK_PUBLISH_CHANNEL."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from newsroom.slack.app import SlackContext
from newsroom.slack.blocks import MAX_BLOCKS, explainer_blocks

log = logging.getLogger("newsroom.slack")


def slack_publisher(client: WebClient, channel: str | None) -> Any:
    def publish(explainer: dict[str, Any]) -> dict[str, str]:
        if not channel:
            log.info(
                "no NEWSROOM_SLACK_PUBLISH_CHANNEL set; %s exported to files only", explainer["story_id"]
            )
            return {}
        blocks = explainer_blocks(explainer)
        first = ""
        for start in range(0, len(blocks), MAX_BLOCKS):
            resp = client.chat_postMessage(
                channel=channel,
                blocks=blocks[start : start + MAX_BLOCKS],
                text=explainer.get("headline") or "Explainer",
                unfurl_links=False,
            )
            first = first or str(resp.get("ts", ""))
        return {"slack_channel": channel, "slack_ts": first}

    return publish


def register(app: App, ctx: SlackContext) -> None:
    token = ctx.settings.slack_bot_token.get_secret_value() if ctx.settings.slack_bot_token else None
    client = WebClient(token=token, base_url=ctx.settings.slack.api_url, timeout=30)
    ctx.room.publishers.append(slack_publisher(client, ctx.settings.slack.publish_channel))
