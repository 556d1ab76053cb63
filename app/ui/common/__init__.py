"""What every part of the window shares: task runners, translations, work status, crash handler."""
