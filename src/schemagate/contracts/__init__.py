"""Consumer contracts, contracts derived from routing, and event-type versions."""
