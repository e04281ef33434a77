/**
 * Cognito pre-token-generation trigger (event V2_0): puts the sre-agent API scopes into the access tokens of
 * people. Tokens from InitiateAuth (the CLI's SRP and USER_PASSWORD sign-in) carry no resource-server scopes by
 * themselves, and API Gateway checks scopes on every method. Every user of the pool may read and start
 * investigations; members of the `admins` group also get `sre-agent/admin`. Machine tokens (client credentials)
 * never reach this trigger version, and `tools.invoke` is never given to a person.
 *
 * Deliberately free of Powertools and the AWS SDK: Cognito gives the trigger 5 seconds and runs it on every
 * sign-in and refresh, so cold starts are kept minimal.
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';

export interface ScopePolicy {
  resourceServer: string;
  adminGroup: string;
}

/** The scopes a user's access token receives, from the groups Cognito will put in the token. */
export function scopesForGroups(groups: readonly string[], policy: ScopePolicy): string[] {
  const scopes = [`${policy.resourceServer}/investigations.read`, `${policy.resourceServer}/investigations.write`];
  if (groups.includes(policy.adminGroup)) scopes.push(`${policy.resourceServer}/admin`);
  return scopes;
}

export function createHandler(policy: ScopePolicy) {
  return async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
    const groups = event.request.groupConfiguration?.groupsToOverride ?? [];
    const scopesToAdd = scopesForGroups(groups, policy);
    event.response = {
      claimsAndScopeOverrideDetails: {
        ...event.response?.claimsAndScopeOverrideDetails,
        accessTokenGeneration: {
          ...event.response?.claimsAndScopeOverrideDetails?.accessTokenGeneration,
          scopesToAdd,
        },
      },
    };
    return event;
  };
}

function policyFromEnv(env: NodeJS.ProcessEnv): ScopePolicy {
  return { resourceServer: env.RESOURCE_SERVER || 'sre-agent', adminGroup: env.ADMIN_GROUP || 'admins' };
}

export const handler = createHandler(policyFromEnv(process.env));
