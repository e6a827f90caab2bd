"""DfE's published statistics: the workforce indicators release, the comparators
built from it (regions, England, statistical neighbours), Ofsted, children's context, and the
files they come from. Nothing here reads a council's own records."""
