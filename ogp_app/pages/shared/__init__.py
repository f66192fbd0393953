"""Page parts more than one audience's pages show (meetings and their times, a round's downloads)."""
