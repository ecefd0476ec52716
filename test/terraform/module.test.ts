/** Behaviour tests of every published module (modules/<name>/tests/*.tftest.hcl, hand-written). */
import { describeModuleSuite } from "./module-suite.js";

describeModuleSuite("behaviour", (file) => file !== "validations.tftest.hcl");
