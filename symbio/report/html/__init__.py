"""The self-contained HTML committee briefing: page template, sections and appendix."""
