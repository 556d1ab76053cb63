"""Qt-free foundations shared by every layer: errors, paths, domain types, text folding."""
