"""Page: 'Waar staan we?' self-assessment; accepting its result sets the profile phase."""

from assistant.wizards.ui import render_assessment

render_assessment()
