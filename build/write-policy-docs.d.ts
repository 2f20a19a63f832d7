export declare const policyDocPaths: { schema: string; sample: string; deploying: string };
export declare function policyDocs(): Promise<{ schema: string; deploying: string }>;
