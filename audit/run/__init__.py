"""Use cases: one function per command, over one :class:`~audit.run.options.Options`."""
