import { degradedHealthSpec } from "../../../test/workerd/health-detail.ts";

// Its own file: storage is isolated per file, so breaking D1 here touches no other test.
degradedHealthSpec();
