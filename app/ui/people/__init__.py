"""Who is reading?: the chooser of the library's people, their PINs, the idle return."""
