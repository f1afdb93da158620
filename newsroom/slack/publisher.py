"""Publication to Slack: an approved explainer is posted to NEWSROOM_SLACK_PUBLISH_CHANNEL."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from newsroom.slack.app import SlackContext
from newsroom.slack.blocks import MAX_BLOCKS, MAX_TEXT, explainer_blocks
from newsroom.slack.client import web_client
from newsroom.slack.mrkdwn import cut, escape

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
                text=cut(escape(explainer.get("headline") or "Explainer"), MAX_TEXT),
                unfurl_links=False,
            )
            first = first or str(resp.get("ts", ""))
        return {"slack_channel": channel, "slack_ts": first}

    return publish


def register(app: App, ctx: SlackContext) -> None:
    client = web_client(ctx.settings)
    ctx.room.publishers.append(slack_publisher(client, ctx.settings.slack.publish_channel))
