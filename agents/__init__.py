"""The editorial agents: one role per module, each `run(state, deps) -> partial update`."""
