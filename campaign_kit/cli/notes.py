"""How the command line words the library's notes: each typed value by its option
(`--host-email`), and the advice that names an option or a command in the CLI's own words.
Every other note reads as the library words it (notes.TEXTS)."""

from __future__ import annotations

from ..notes import Note

OPTIONS = {
    "name": "--name", "address": "--address", "role": "--role", "school": "--school",
    "story": "--story", "postcode": "--postcode", "constituency": "--constituency",
    "council": "--council", "place": "--place", "campaign": "--campaign",
    "region": "--region", "asks": "--asks", "venue": "--venue", "host_name": "--host-name",
    "host_role": "--host-role", "host_email": "--host-email", "host_phone": "--host-phone",
    "date": "--date", "dated": "--dated", "time": "--time", "format": "--format",
}

TEXTS = {
    "name-required": "--name is required (the letter is signed with it)",
    "no-address": "no --address given: MPs act only for their own constituents, so add your "
                  "address in {seat} before sending",
    "no-story": "tip: add your school's own story with --story FILE; MPs' offices answer "
                "identical letters with identical replies",
    "council-from-postcode": "{postcode} is in {council}, so the letter draws on {council}'s "
                             "figures ({seat} also spans {others}); pass --council NAME (a "
                             "'council' column in a batch) to draw on another's",
    "seat-spans-councils": "{seat} spans {councils}: the letter cites figures from each; pass "
                           "--council NAME (a 'council' column in a batch) to cite your own "
                           "council's",
    "no-organiser": "no --host-name: the invitation and follow-up letters leave a marked "
                    "space, [Organiser's name], to fill in before sending",
    "no-reply-route": "no --host-email or --host-phone: the invitation leaves marked spaces "
                      "for how the MP's office replies to the organiser",
    "council-not-in-seat": "--council '{query}' {what} of the councils {seat} spans: choose "
                           "{choices}",
    "exists": "{names} already exist{s} in {folder}; use --force to overwrite",
    "locked": "another campaign-kit run (process {pid}) is writing to {folder}; wait for it "
              "to finish or choose another --out",
    "store-missing": "the place store {path} is missing: run 'campaign-kit data build --from "
                     "DIR' with the public data files",
    "store-without-postcodes": "the place store {path} has no postcode index: rebuild it "
                               "with 'campaign-kit data build --from DIR'",
    "campaign-problems": "{first} (and {more} more: run 'campaign-kit check')",
    "no-default-campaign": "no default campaign: set `default: ID` in content/campaigns.yaml "
                           "or pass --campaign ({campaigns})",
    "print-pdf-needs-pdf": "--print-pdf needs pdf among the --format formats",
    "print-pdf-folder": "--print-pdf {path} is a folder; give a file name",
    "print-pdf-input": "--print-pdf {path} is one of the inputs; choose another name",
    "print-pdf-batch-file": "--print-pdf {path} would overwrite a file of the batch in "
                            "{folder}; choose another name",
    "print-pdf-exists": "--print-pdf {path} already exists; use --force to overwrite",
}


def option(field_name: str) -> str:
    return OPTIONS.get(field_name, f"--{field_name.replace('_', '-')}")


def words(note: Note, name_of=option) -> str:
    """A note in the command line's words; an error about one typed value names its option
    (`name_of` the field) when the wording does not already ("--asks: unknown ask id x")."""
    text = note.words(name_of, TEXTS)
    if note.is_error and note.field and name_of(note.field) not in text:
        return f"{name_of(note.field)}: {text}"
    return text


def ambiguous(summary: str, option_name: str) -> str:
    """A place that is more than one seat (or council): the candidates, and the option that
    picks one."""
    return f'{summary}; choose one with {option_name} "NAME" (or its ONS code)'
