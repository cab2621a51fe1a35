"""Files the bot sends: Form 8949 as CSV and PDF, and the charts (PNG).

Pure functions from engine results to bytes; the heavy libraries (fpdf2, matplotlib) are
imported inside the functions so the chat starts fast.
"""
