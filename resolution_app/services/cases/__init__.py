"""A case's life: a buyer's claim, what the parties do, how the case moves on, and what each party sees of it."""
