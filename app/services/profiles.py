"""Who acts, and who may change whom: choosing a person, the administrator's rules, PINs.

The rules (docs/profiles.md):

- The acting person is the one named (``--profile NAME`` or ``$MUTOLAA_PROFILE``), else the
  library's only person; with several and none named, the choice is refused with their names.
  A protected person's PIN is asked first.
- While an administrator exists, adding, renaming and removing people and resetting a PIN need
  the administrator's PIN. Without one, anybody may add people, and rename or remove an
  unprotected person; a protected person's own PIN is asked to rename or remove them, and a
  forgotten PIN can only be reset by an administrator (without one, nobody's word replaces
  the PIN). The window will offer the role to the first person; here,
  ``profiles add NAME --admin`` takes it while nobody has it.
- A person changes their own PIN by giving the current one first.

Every PIN checked here (`check_pin`, so `choose_person`, `authorize`, `change_pin`) unlocks, in
this process, the stored secrets of the person whose PIN it is (`ProfileStore.check_pin`):
their keys are wrapped by their PIN only (docs/storage.md, "The PIN wrap").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.core.errors import UserError
from app.core.profiles import person_name
from app.library.profiles import Profile, ProfileStore

#: The environment variable naming the acting person (``--profile`` wins over it).
PROFILE_ENV = "MUTOLAA_PROFILE"

#: Asks for a PIN with a prompt and returns what was typed ("" when nothing was).
AskPin = Callable[[str], str]


@dataclass(frozen=True)
class Prompts:
    """How a use case asks the person at the keyboard.

    Attributes:
        pin: asks for an existing PIN (someone's, to check it).
        new_pin: asks for a new PIN (the command line asks twice on a terminal).
    """

    pin: AskPin
    new_pin: AskPin


@dataclass(frozen=True)
class Removal:
    """A person about to be removed, and what goes with them.

    Attributes:
        profile: the person.
        held: how much of each kind they hold (`ProfileStore.held`).
    """

    profile: Profile
    held: dict[str, int]


def choose_person(profiles: ProfileStore, name: str | None, ask_pin: AskPin) -> Profile:
    """The person a command acts for, their PIN checked when they have one.

    Args:
        profiles: the library's people.
        name: the name given (``--profile`` or ``$MUTOLAA_PROFILE``), or None/empty.
        ask_pin: asks the PIN of a protected person.

    Raises:
        UserError: no such person; several people and none named; a PIN wrong, missing or
            asked during the wait after wrong ones.
    """
    if name and name.strip():
        person = profiles.named(name)
    else:
        people = profiles.list()
        if len(people) != 1:
            names = ", ".join(p.name for p in people)
            raise UserError(
                f"several people use this library: {names}; choose one with --profile NAME"
            )
        person = people[0]
    if person.has_pin:
        check_pin(profiles, person, ask_pin, f"PIN of {person.name}: ")
    return person


def check_pin(profiles: ProfileStore, person: Profile, ask_pin: AskPin, prompt: str) -> None:
    """Ask a person's PIN and check it (`ProfileStore.check_pin`, with its wait).

    The wait is looked at before asking: nobody types a PIN that would not be checked.

    Raises:
        UserError: nothing was given, the PIN is wrong, or the person must wait.
    """
    profiles.check_no_wait(person.id)
    pin = ask_pin(prompt)
    if not pin:
        raise UserError(
            f"no PIN given for {person.name} (type it at the prompt, or give it as one line of "
            "standard input)"
        )
    profiles.check_pin(person.id, pin)


def authorize(profiles: ProfileStore, target: Profile | None, ask_pin: AskPin) -> None:
    """Check that the person at the keyboard may change ``target`` (None: add someone).

    With an administrator, their PIN; without, the target's own PIN when they have one.

    Raises:
        UserError: a PIN was wrong or missing, or must wait.
    """
    admin = profiles.administrator()
    if admin is not None:
        check_pin(profiles, admin, ask_pin, f"PIN of the administrator, {admin.name}: ")
    elif target is not None and target.has_pin:
        check_pin(profiles, target, ask_pin, f"PIN of {target.name}: ")


def add_person(
    profiles: ProfileStore, name: str, prompts: Prompts, *, with_pin: bool, admin: bool
) -> Profile:
    """Add a person, with a PIN when asked (the administrator always has one).

    Raises:
        UserError: not allowed, a bad or taken name, a malformed PIN, a second administrator.
    """
    name = person_name(name)
    if admin:
        current = profiles.administrator()
        if current is not None:
            raise UserError(f"{current.name} is already the administrator (a library has one)")
    taken = profiles.find(name)
    if taken is not None:
        raise UserError(f"{taken.name!r} is already a person of this library")
    authorize(profiles, None, prompts.pin)
    pin = prompts.new_pin(f"PIN for {name}: ") if with_pin or admin else None
    if pin == "":
        raise UserError(f"no PIN given for {name}")
    return profiles.add(name, pin=pin, admin=admin)


def rename_person(profiles: ProfileStore, old: str, new: str, ask_pin: AskPin) -> Profile:
    """Rename a person (their notes and everything else stay theirs).

    Raises:
        UserError: no such person, the new name taken or bad, not allowed.
    """
    person = profiles.named(old)
    taken = profiles.find(new)
    if taken is not None and taken.id != person.id:
        raise UserError(f"{taken.name!r} is already a person of this library")
    authorize(profiles, person, ask_pin)
    return profiles.rename(person.id, new)


def prepare_removal(profiles: ProfileStore, name: str, ask_pin: AskPin) -> Removal:
    """Check that a person may be removed, and by whom is asking; say what would go.

    Raises:
        UserError: no such person, the last one, not allowed.
    """
    person = profiles.named(name)
    if len(profiles.list()) <= 1:
        raise UserError(f"{person.name} is the only person of this library and cannot be removed")
    authorize(profiles, person, ask_pin)
    return Removal(person, profiles.held(person.id))


def remove_person(profiles: ProfileStore, removal: Removal) -> None:
    """Remove a person prepared by `prepare_removal`: their data goes, the books stay."""
    profiles.remove(removal.profile.id)


def change_pin(profiles: ProfileStore, name: str, prompts: Prompts, *, clear: bool) -> Profile:
    """A person sets, changes or (``clear``) removes their own PIN, giving the current first.

    Raises:
        UserError: no such person, the current PIN wrong, the new one malformed, the
            administrator without a PIN.
    """
    person = profiles.named(name)
    if clear and person.is_admin:
        raise UserError("the administrator's PIN cannot be removed, only changed")
    if person.has_pin:
        check_pin(profiles, person, prompts.pin, f"current PIN of {person.name}: ")
    if clear:
        profiles.set_pin(person.id, None)
    else:
        pin = prompts.new_pin(f"new PIN for {person.name}: ")
        if not pin:
            raise UserError(f"no PIN given for {person.name}")
        profiles.set_pin(person.id, pin)
    return profiles.get(person.id)


def reset_pin(profiles: ProfileStore, name: str, ask_pin: AskPin) -> Profile:
    """The administrator removes a person's forgotten PIN; that person's stored secrets are
    erased (they sign in again), their notes and positions stay.

    Raises:
        UserError: no administrator, the person is the administrator or has no PIN, the
            administrator's PIN wrong.
    """
    person = profiles.named(name)
    admin = profiles.administrator()
    if admin is None:
        raise UserError(
            "only an administrator can reset a PIN, and this library has none; add one with "
            "`mutolaa profiles add NAME --admin`"
        )
    if person.is_admin:
        raise UserError(
            f"{person.name} is the administrator: change the PIN with "
            f"`mutolaa profiles pin {person.name}`"
        )
    if not person.has_pin:
        raise UserError(f"{person.name} has no PIN to reset")
    check_pin(profiles, admin, ask_pin, f"PIN of the administrator, {admin.name}: ")
    profiles.reset_pin(person.id)
    return profiles.get(person.id)
