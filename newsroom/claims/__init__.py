"""What code decides, no model and no I/O: one module per job.

Values and parties read in text, conflicts, corrections, injections, the citation audit,
publishability and finishing.

Empty on purpose: callers import from the module that decides (`newsroom.claims.audit`,
`newsroom.claims.conflicts`, ...), so the import line names the job, and importing one module does not
load spaCy and every other module with it.
"""
