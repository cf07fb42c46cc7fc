"""Page: 'Waar staan we?' self-assessment; accepting its result sets the profile phase."""

from assistant.ui.wizard import render_assessment

render_assessment()
