"""Block Kit views: answers, the Home tab, the tour, within Slack's limits; mrkdwn in and out."""
