"""Every write of Seoul Learn, one module per area (see DESIGN.md §2)."""
