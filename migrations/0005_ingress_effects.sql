CREATE TABLE `ingress_effects` (
	`event_key` text NOT NULL,
	`effect` text NOT NULL,
	`data` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`event_key`, `effect`)
);
