"""One section of a markdown report file, replaced in place: everything from a `## ` heading up
to the next `## ` heading (or the end). Each benchmark owns one heading in docs/benchmarks.md and
rewrites only its own section, so the benchmarks can be rerun independently."""

import os


def replace_section(path, heading, section, title='# edgesql benchmarks'):
    """Writes `section` (which starts with the line `heading`) into `path` in place of the old
    section under `heading`, or at the end when there is none."""
    text = ''
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    if not text.strip():
        text = title + '\n'
    lines = text.split('\n')
    start = next((i for i, l in enumerate(lines) if l.strip() == heading), None)
    if start is None:
        new = text.rstrip('\n') + '\n\n' + section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith('## ')),
                   len(lines))
        rest = '\n'.join(lines[end:])
        new = '\n'.join(lines[:start]).rstrip('\n') + '\n\n' + section + \
            ('\n' + rest if rest.strip() else '')
    with open(path, 'w') as f:
        f.write(new.rstrip('\n') + '\n')
