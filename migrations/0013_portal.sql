CREATE TABLE `platform_activity` (
	`community_id` text NOT NULL,
	`platform` text NOT NULL,
	`last_event_at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `platform`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
