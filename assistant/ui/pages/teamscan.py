"""Page: the teamscan (several members score the network; radar, disagreement, cited plan)."""

from assistant.ui.teamscan import render_teamscan

render_teamscan()
