"""Following an item, a district or a category by e-mail, without an account."""
