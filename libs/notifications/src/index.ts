export * from './notification-targets';
export { type Notification, render, xch } from './notification';
export { ensureNotificationTables } from './notification-tables';
export { NotificationOutbox } from './notification-outbox';
export { Notifier, type NotifierOptions, type NotifierRound } from './notifier';
export { Transports, webhookSignature, WEBHOOK_HEADERS, type Delivery, type TransportOptions } from './transports/transports';
export { DeliveryError, postJson } from './transports/http-post';
export { notificationTargetsOptions } from './notification-targets-options';
