// The demo data set (`npm run seed -- --demo`): who the accounts are, the three businesses, their
// sessions and the bookings, as plain data. demo.ts writes it.
import type { MembershipRole } from '../../platform/tenancy.js'

/** The one password of every demo account (it passes the password policy). */
export const DEMO_PASSWORD = 'Tessera-demo-Sunrise-42'
export const EMAIL_DOMAIN = 'demo.tessera.example'

type DemoUser = {
  username: string
  firstName: string
  lastName: string
  role: 'user' | 'creator'
  /** The business and membership role, for staff. */
  staffOf?: { business: BusinessKey; role: MembershipRole }
}

export type BusinessKey = 'yoga' | 'barber' | 'ceramics'

export const DEMO_USERS: DemoUser[] = [
  {
    username: 'demo_olivia',
    firstName: 'Olivia',
    lastName: 'Hart',
    role: 'creator',
    staffOf: { business: 'yoga', role: 'owner' },
  },
  {
    username: 'demo_marcus',
    firstName: 'Marcus',
    lastName: 'Reed',
    role: 'creator',
    staffOf: { business: 'barber', role: 'owner' },
  },
  {
    username: 'demo_sofia',
    firstName: 'Sofia',
    lastName: 'Costa',
    role: 'creator',
    staffOf: { business: 'ceramics', role: 'owner' },
  },
  {
    username: 'demo_priya',
    firstName: 'Priya',
    lastName: 'Shah',
    role: 'user',
    staffOf: { business: 'yoga', role: 'manager' },
  },
  {
    username: 'demo_diego',
    firstName: 'Diego',
    lastName: 'Morales',
    role: 'user',
    staffOf: { business: 'barber', role: 'agent' },
  },
  { username: 'demo_alice', firstName: 'Alice', lastName: 'Brown', role: 'user' },
  { username: 'demo_ben', firstName: 'Ben', lastName: 'Okafor', role: 'user' },
  { username: 'demo_chloe', firstName: 'Chloe', lastName: 'Martin', role: 'user' },
  { username: 'demo_daniel', firstName: 'Daniel', lastName: 'Kim', role: 'user' },
]

export const DEMO_BUSINESSES: Record<BusinessKey, { name: string; timezone: string; currency: string }> = {
  yoga: { name: 'Lotus Yoga Studio', timezone: 'Europe/London', currency: 'GBP' },
  barber: { name: 'Brooklyn Fade Barbershop', timezone: 'America/New_York', currency: 'USD' },
  ceramics: { name: 'Atelier Barro Ceramics', timezone: 'Europe/Lisbon', currency: 'EUR' },
}

type DemoSession = {
  key: string
  business: BusinessKey
  /** Who created it: a username of DEMO_USERS. */
  by: string
  title: string
  description: string
  duration: number
  price: string
  maxParticipants: number
  status?: 'active' | 'inactive'
  /** A group class's local start times, every day from the day of the seed; none for a 1:1 service. */
  dailyTimes?: string[]
}

export const DEMO_SESSIONS: DemoSession[] = [
  {
    key: 'vinyasa',
    business: 'yoga',
    by: 'demo_olivia',
    title: 'Sunrise Vinyasa Flow',
    description: 'A dynamic, breath-led flow to start the day. All levels welcome; mats provided.',
    duration: 60,
    price: '14.00',
    maxParticipants: 12,

    dailyTimes: ['07:00', '12:30'],
  },
  {
    key: 'yin',
    business: 'yoga',
    by: 'demo_priya',
    title: 'Yin Yoga & Meditation',
    description: 'Long, quiet holds and a guided meditation to close.',
    duration: 75,
    price: '16.00',
    maxParticipants: 10,

    dailyTimes: ['19:00'],
  },
  {
    key: 'hatha',
    business: 'yoga',
    by: 'demo_olivia',
    title: "Beginners' Hatha",
    description: 'Foundations of posture and breathing, at an easy pace.',
    duration: 60,
    price: '12.00',
    maxParticipants: 15,

    dailyTimes: ['18:00'],
  },
  {
    key: 'pilates',
    business: 'yoga',
    by: 'demo_olivia',
    title: 'Reformer Pilates Intro',
    description: 'Small-group introduction to the reformer: core, posture, control.',
    duration: 50,
    price: '22.00',
    maxParticipants: 6,

    dailyTimes: ['08:00', '12:00'],
  },
  {
    key: 'haircut',
    business: 'barber',
    by: 'demo_marcus',
    title: 'Classic Haircut',
    description: 'Scissor or clipper cut, wash and style.',
    duration: 30,
    price: '35.00',
    maxParticipants: 1,
  },
  {
    key: 'fade',
    business: 'barber',
    by: 'demo_marcus',
    title: 'Skin Fade',
    description: 'Precision fade down to the skin, finished with a razor line-up.',
    duration: 45,
    price: '45.00',
    maxParticipants: 1,
  },
  {
    key: 'beard',
    business: 'barber',
    by: 'demo_marcus',
    title: 'Beard Trim & Hot Towel',
    description: 'Shape-up, hot towel and beard oil.',
    duration: 30,
    price: '28.00',
    maxParticipants: 1,
  },
  {
    key: 'combo',
    business: 'barber',
    by: 'demo_marcus',
    title: 'Cut & Beard Combo',
    description: 'The full works: haircut plus beard trim.',
    duration: 60,
    price: '65.00',
    maxParticipants: 1,
  },
  {
    key: 'wheel',
    business: 'ceramics',
    by: 'demo_sofia',
    title: 'Wheel Throwing Taster',
    description: 'Centre, open and pull your first pots on the wheel. Clay and firing included.',
    duration: 120,
    price: '45.00',
    maxParticipants: 8,

    dailyTimes: ['10:00', '15:00'],
  },
  {
    key: 'handbuild',
    business: 'ceramics',
    by: 'demo_sofia',
    title: 'Hand-building Workshop',
    description: 'Pinch, coil and slab techniques; take home two pieces.',
    duration: 90,
    price: '38.00',
    maxParticipants: 10,

    dailyTimes: ['14:00'],
  },
  {
    key: 'glaze',
    business: 'ceramics',
    by: 'demo_sofia',
    title: 'Glazing Masterclass',
    description: 'Dipping, layering and brushing glazes on bisque ware.',
    duration: 150,
    price: '55.00',
    maxParticipants: 6,

    dailyTimes: ['16:00'],
  },
  {
    key: 'raku',
    business: 'ceramics',
    by: 'demo_sofia',
    title: 'Raku Firing Weekend',
    description: 'Outdoor raku firing; back next season.',
    duration: 240,
    price: '120.00',
    maxParticipants: 8,
    status: 'inactive',
  },
]

/** [customer, session key, days from today, local hour, status] */
export const DEMO_BOOKINGS: [string, string, number, number, 'pending' | 'confirmed'][] = [
  ['demo_alice', 'vinyasa', 1, 7, 'confirmed'],
  ['demo_ben', 'vinyasa', 1, 7, 'pending'],
  ['demo_chloe', 'vinyasa', 1, 7, 'confirmed'],
  ['demo_alice', 'yin', 3, 19, 'pending'],
  ['demo_daniel', 'hatha', 2, 18, 'confirmed'],
  ['demo_chloe', 'pilates', 4, 12, 'confirmed'],
  ['demo_ben', 'haircut', 2, 10, 'confirmed'],
  ['demo_daniel', 'haircut', 2, 11, 'pending'],
  ['demo_alice', 'fade', 5, 15, 'pending'],
  ['demo_ben', 'combo', 9, 17, 'confirmed'],
  ['demo_chloe', 'wheel', 6, 10, 'confirmed'],
  ['demo_daniel', 'wheel', 6, 10, 'pending'],
  ['demo_alice', 'handbuild', 13, 14, 'confirmed'],
  ['demo_priya', 'glaze', 8, 16, 'pending'],
]

export const demoEmail = (username: string) => `${username.replace(/^demo_/, '')}@${EMAIL_DOMAIN}`
