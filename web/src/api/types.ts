// Names for the API's shapes, all taken from the generated OpenAPI types.
import type { components } from './schema'

type Schemas = components['schemas']
export type User = Schemas['User']
export type Business = Schemas['Business']
export type Role = NonNullable<Business['my_role']>
export type DirectoryBusiness = Schemas['DirectoryBusiness']
export type DirectoryStaff = DirectoryBusiness['staff'][number]
export type OpeningHours = DirectoryBusiness['opening_hours']
export type Weekday = keyof OpeningHours
export type Member = Schemas['Member']
export type Invitation = Schemas['Invitation']
export type Session = Schemas['Session']
export type Schedule = NonNullable<Session['schedule']>
export type Slot = Schemas['Slot']
export type Booking = Schemas['Booking']
export type Reservation = Schemas['Reservation']
export type Availability = Schemas['Availability']
export type DashboardStats = Schemas['DashboardStats']
export type CalendarFeedUrl = Schemas['CalendarFeedUrl']
export type Status = Booking['status']
export type WaitlistEntry = Schemas['WaitlistEntry']
export type WaitlistStatus = WaitlistEntry['status']
export type Webhook = Schemas['Webhook']
export type WebhookWithSecret = Schemas['WebhookWithSecret']
export type WebhookDelivery = Schemas['WebhookDelivery']
export type WebhookEvent = Webhook['events'][number]
