"""Staff workflow: live reload, stored reports, anonymous counts, spreadsheets, geocoding.

Modules::

    bot.staff.reload       -> Reloader: notices edits, validates, hands over a new Resources
    bot.staff.store        -> StaffStore: open reports, counts per intent, unmatched questions
    bot.staff.scrub        -> scrub(): remove phone numbers, e-mails, postal codes, digit runs
    bot.staff.spreadsheet  -> CSV export/import of a region's services
    bot.staff.geocode      -> fill missing coordinates through the online geocoder
    bot.staff.commands     -> hrbot services / geocode (arguments: bot.staff.arguments)

Like the rest of the core, nothing here imports telegram.
"""
