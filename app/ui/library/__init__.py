"""The library tab: the list and grid of books, their model, the library search panel."""
