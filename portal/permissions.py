"""The staff group and its model permissions.

Staff of a corporation get these permissions through one group; which rows
they see is limited to their own corporation by the admin (portal.admin_scoping).
Staff write to a tenant from the case page, which calls the message service,
so they get no "add message" permission. The group is brought up to date
after every migrate, so a new model's permissions reach staff without a
manual step.
"""

from django.contrib.auth.management import create_permissions

STAFF_GROUP = "Medewerkers"

#: app_label.model -> actions staff may take.
STAFF_PERMISSIONS = {
    "portal.user": ("view", "add", "change"),
    "portal.case": ("view", "change"),
    "portal.caseevent": ("view",),
    "portal.message": ("view",),
    "portal.datachangerequest": ("view",),
    "portal.casefeedback": ("view",),
    # What waits in the outbox for their corporation, and why; read-only for everyone.
    "portal.outboxjob": ("view",),
    "contracts.complex": ("view", "add", "change"),
    "contracts.commonarea": ("view", "add", "change", "delete"),
    "contracts.unit": ("view", "add", "change"),
    "contracts.space": ("view", "add", "change", "delete"),
    "contracts.valuation": ("view",),
    "contracts.contract": ("view", "add", "change"),
    "contracts.servicecharge": ("view", "add", "change", "delete"),
    "contracts.servicecontract": ("view", "add", "change", "delete"),
    "payments.openitem": ("view", "add", "change"),
    "repairs.trade": ("view", "add", "change", "delete"),
    "repairs.repairkind": ("view", "add", "change", "delete"),
    "repairs.repairproblem": ("view", "add", "change", "delete"),
    # Places per block only; `booked` is read-only in the admin. Blocks are made by bookings.
    # Add: staff can lower a block's places before anyone has booked it (a sick mechanic).
    "repairs.slot": ("view", "add", "change"),
    # Only the planning note; planning fixes, moves and closes a repair through repairs.services.
    "repairs.repairrequest": ("view", "change"),
    "repairs.repairphoto": ("view",),
    # What is paid only changes through payments.ledger; staff look things up.
    "payments.payment": ("view",),
    "payments.paymentline": ("view",),
    "payments.arrangement": ("view",),
    "payments.instalment": ("view",),
    "payments.arrearsfile": ("view",),
    "payments.calltask": ("view",),
    "payments.escalationstep": ("view",),
    # Allocation: staff write listings; regions are shared by several corporations, so
    # the beheerder sets their rules. Registrations, reactions, offers and blocks
    # change through the allocation pages and services; the admin only shows them.
    "allocation.region": ("view",),
    "allocation.listing": ("view", "add", "change"),
    "allocation.listingphoto": ("view", "add", "change", "delete"),
    "allocation.registration": ("view",),
    "allocation.householdmember": ("view",),
    "allocation.addresshistory": ("view",),
    "allocation.document": ("view",),
    "allocation.reaction": ("view",),
    "allocation.offer": ("view",),
    "allocation.block": ("view",),
}


def sync_staff_group(sender=None, apps=None, using="default", **kwargs):
    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group, Permission

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    group, _ = Group.objects.using(using).get_or_create(name=STAFF_GROUP)
    wanted = []
    for model_label, actions in STAFF_PERMISSIONS.items():
        app_label, model = model_label.split(".")
        for action in actions:
            wanted.append((app_label, f"{action}_{model}"))
    permissions = Permission.objects.using(using).filter(
        content_type__app_label__in={a for a, _ in wanted}, codename__in={c for _, c in wanted}
    )
    group.permissions.set([p for p in permissions if (p.content_type.app_label, p.codename) in set(wanted)])
