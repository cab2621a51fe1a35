"""Files in and out of the chat, with no conversation in them.

`importers/` reads broker CSV exports into trades; `render/` writes what the bot sends as
files (Form 8949 CSV and PDF, chart PNGs). The conversations about them are
`conversations/importing.py` and `conversations/forms.py`.
"""
