// The powers table: which membership roles may do what in their business. No imports, so the admin
// console reads the same table to hide what a role may not do (the server still decides).
const ALL = ['owner', 'admin', 'manager', 'agent'] as const

export const POWERS = {
  'business.read': ALL,
  'business.update': ['owner', 'admin'],
  'business.delete': ['owner'],
  'members.read': ['owner', 'admin', 'manager'],
  'members.write': ['owner', 'admin'],
  // Making, unmaking or removing an owner.
  'members.owners': ['owner'],
  'audit.read': ['owner', 'admin'],
  // Adding, changing and deleting webhook endpoints, and reading their deliveries.
  'webhooks.manage': ['owner', 'admin'],
  // Adding, changing and deleting the business's sessions (and so its creators' rights over theirs).
  'sessions.write': ['owner', 'admin', 'manager'],
  // Reading the business's inactive sessions.
  'sessions.read': ALL,
  'sessions.export': ['owner', 'admin', 'manager'],
  // Reading the business's bookings, and confirming, completing and cancelling them.
  'bookings.read': ALL,
  'bookings.act': ALL,
  'bookings.export': ALL,
  // Reading the business's reservations.
  'reservations.read': ALL,
  // Staff handle the business's reservations: create for a customer, edit, confirm, complete, cancel.
  'reservations.manage': ALL,
  'reservations.export': ALL,
  // Revenue and occupancy are for managers and above, not agents (API.md, "Settled details").
  'dashboard.read': ['owner', 'admin', 'manager'],
} as const satisfies Record<string, readonly (typeof ALL)[number][]>
