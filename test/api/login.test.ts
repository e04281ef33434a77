/** `sre-agent login`, the token cache and `users add`, with Cognito mocked (no local engine for it). */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type Prompter, login } from '../../src/cli/commands/login.ts';
import { addUser } from '../../src/cli/commands/users.ts';
import { NotLoggedIn, accessToken, loadCredentials, readOutputs, resolveDeployment } from '../../src/cli/credentials.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const dir = mkdtempSync(join(tmpdir(), 'sre-agent-login-'));
const file = join(dir, 'config', 'sre-agent', 'credentials.json');
const deployment = { region: 'eu-west-1', clientId: 'client-123', userPoolId: 'eu-west-1_Ab12Cd34E', apiUrl: 'https://api.example.com/prod' };
const client = () => new CognitoIdentityProviderClient({ region: 'eu-west-1' });
const tokens = (n: number, withRefresh = true) => ({
  AuthenticationResult: { AccessToken: `access-${n}`, IdToken: `id-${n}`, ExpiresIn: 3600, TokenType: 'Bearer', ...(withRefresh ? { RefreshToken: `refresh-${n}` } : {}) },
});

function scripted(answers: string[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = async (q: string) => {
    asked.push(q);
    const a = answers.shift();
    if (a === undefined) throw new Error(`unexpected prompt: ${q}`);
    return a;
  };
  return { asked, ask: next, secret: next };
}

beforeEach(() => {
  cognito.reset();
  rmSync(file, { force: true });
});
afterAll(() => {
  cognito.restore();
  rmSync(dir, { recursive: true, force: true });
});

describe('sre-agent login', () => {
  it('signs in with USER_PASSWORD_AUTH and saves the tokens 0600', async () => {
    cognito.on(InitiateAuthCommand).resolves(tokens(1));
    const now = Date.parse('2026-03-14T10:00:00Z');
    await login({ deployment, username: 'alice@example.com', password: 'correct horse', prompter: scripted([]), cognito: client(), credentialsFile: file, clock: () => now });
    expect(cognito.commandCalls(InitiateAuthCommand)[0]!.args[0].input).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'client-123',
      AuthParameters: { USERNAME: 'alice@example.com', PASSWORD: 'correct horse' },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'config', 'sre-agent')).mode & 0o777).toBe(0o700);
    expect(loadCredentials('default', file)).toEqual({
      ...deployment,
      username: 'alice@example.com',
      accessToken: 'access-1',
      idToken: 'id-1',
      refreshToken: 'refresh-1',
      expiresAt: now + 3_600_000,
    });
    // The password is never stored.
    expect(readFileSync(file, 'utf8')).not.toContain('correct horse');
  });

  it('answers NEW_PASSWORD_REQUIRED, then SOFTWARE_TOKEN_MFA', async () => {
    cognito.on(InitiateAuthCommand).resolves({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 'session-1',
      ChallengeParameters: { USER_ID_FOR_SRP: '5a1c3f2e-uuid', requiredAttributes: '["userAttributes.name"]' },
    });
    cognito
      .on(RespondToAuthChallengeCommand, { ChallengeName: 'NEW_PASSWORD_REQUIRED' })
      .resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'session-2', ChallengeParameters: { USER_ID_FOR_SRP: '5a1c3f2e-uuid' } })
      .on(RespondToAuthChallengeCommand, { ChallengeName: 'SOFTWARE_TOKEN_MFA' })
      .resolves(tokens(2));
    // The first new password is mistyped once.
    const prompter = scripted(['N3w-pass!', 'typo', 'N3w-pass!word', 'N3w-pass!word', 'Alice Martin', ' 123456 ']);
    const errors: string[] = [];
    await login({
      deployment,
      username: 'alice@example.com',
      password: 'Temp-pass1!',
      prompter,
      cognito: client(),
      credentialsFile: file,
      io: { out: () => undefined, err: (l) => errors.push(l) },
    });
    expect(prompter.asked).toEqual(['New password: ', 'Repeat the new password: ', 'New password: ', 'Repeat the new password: ', 'name: ', 'Authenticator code: ']);
    expect(errors).toEqual(['The passwords differ or are empty; try again.']);
    const calls = cognito.commandCalls(RespondToAuthChallengeCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      {
        ClientId: 'client-123',
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: 'session-1',
        ChallengeResponses: { USERNAME: '5a1c3f2e-uuid', NEW_PASSWORD: 'N3w-pass!word', 'userAttributes.name': 'Alice Martin' },
      },
      { ClientId: 'client-123', ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'session-2', ChallengeResponses: { USERNAME: '5a1c3f2e-uuid', SOFTWARE_TOKEN_MFA_CODE: '123456' } },
    ]);
    expect(loadCredentials('default', file)?.accessToken).toBe('access-2');
  });

  it('reports a refused sign-in without the password, and MFA enrolment it cannot do', async () => {
    cognito.on(InitiateAuthCommand).rejects(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));
    await expect(login({ deployment, username: 'a', password: 'hunter2', prompter: scripted([]), cognito: client(), credentialsFile: file })).rejects.toThrow(
      /^sign-in refused: Incorrect username or password\.$/,
    );
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'MFA_SETUP', Session: 's' });
    await expect(login({ deployment, username: 'a', password: 'x', prompter: scripted([]), cognito: client(), credentialsFile: file })).rejects.toThrow(/set up MFA/);
  });

  it('keeps profiles apart', async () => {
    cognito.on(InitiateAuthCommand).resolvesOnce(tokens(1)).resolvesOnce(tokens(2));
    await login({ deployment, username: 'alice', password: 'p', prompter: scripted([]), cognito: client(), credentialsFile: file });
    await login({ deployment: { ...deployment, apiUrl: 'https://staging.example.com/prod' }, username: 'alice', password: 'p', prompter: scripted([]), cognito: client(), credentialsFile: file, profile: 'staging' });
    expect(loadCredentials('default', file)?.accessToken).toBe('access-1');
    expect(loadCredentials('staging', file)).toMatchObject({ accessToken: 'access-2', apiUrl: 'https://staging.example.com/prod' });
  });
});

describe('cached tokens', () => {
  it('are used until they expire, then refreshed with REFRESH_TOKEN_AUTH and saved', async () => {
    let now = Date.parse('2026-03-14T10:00:00Z');
    cognito.on(InitiateAuthCommand, { AuthFlow: 'USER_PASSWORD_AUTH' }).resolves(tokens(1));
    await login({ deployment, username: 'alice', password: 'p', prompter: scripted([]), cognito: client(), credentialsFile: file, clock: () => now });
    const options = { path: file, cognito: client, clock: () => now };
    expect(await accessToken(options)).toBe('access-1');
    expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(1);

    // Cognito returns no new refresh token on refresh: the old one is kept.
    cognito.on(InitiateAuthCommand, { AuthFlow: 'REFRESH_TOKEN_AUTH' }).resolves(tokens(3, false));
    now += 3_600_000 - 30_000;
    expect(await accessToken(options)).toBe('access-3');
    expect(cognito.commandCalls(InitiateAuthCommand).at(-1)!.args[0].input).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: 'client-123',
      AuthParameters: { REFRESH_TOKEN: 'refresh-1' },
    });
    expect(loadCredentials('default', file)).toMatchObject({ accessToken: 'access-3', refreshToken: 'refresh-1', expiresAt: now + 3_600_000 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('asks for a new login when missing or revoked', async () => {
    await expect(accessToken({ path: file, cognito: client })).rejects.toBeInstanceOf(NotLoggedIn);
    cognito.on(InitiateAuthCommand, { AuthFlow: 'USER_PASSWORD_AUTH' }).resolves(tokens(1));
    await login({ deployment, username: 'alice', password: 'p', prompter: scripted([]), cognito: client(), credentialsFile: file, clock: () => 0 });
    cognito.on(InitiateAuthCommand, { AuthFlow: 'REFRESH_TOKEN_AUTH' }).rejects(new NotAuthorizedException({ message: 'Refresh Token has been revoked', $metadata: {} }));
    await expect(accessToken({ path: file, cognito: client })).rejects.toThrow(/run `sre-agent login` again/);
  });
});

describe('the deployment from cdk-outputs.json', () => {
  it('finds the outputs, hashed keys included, and flags win', () => {
    const outputs = join(dir, 'cdk-outputs.json');
    writeFileSync(
      outputs,
      JSON.stringify({
        SreAgent: {
          ApiEndpoint4F160690: 'https://x.execute-api.eu-west-1.amazonaws.com/prod/',
          ApiUrl: 'https://x.execute-api.eu-west-1.amazonaws.com/prod/',
          AuthUserPoolIdC0605E59: 'eu-west-1_Ab12Cd34E',
          UserClientId: 'client-123',
          Region: 'eu-west-1',
        },
      }),
    );
    expect(readOutputs(outputs)).toEqual({
      ApiUrl: 'https://x.execute-api.eu-west-1.amazonaws.com/prod/',
      UserPoolId: 'eu-west-1_Ab12Cd34E',
      UserClientId: 'client-123',
      Region: 'eu-west-1',
    });
    expect(resolveDeployment({}, {}, dir)).toMatchObject({
      region: 'eu-west-1',
      clientId: 'client-123',
      userPoolId: 'eu-west-1_Ab12Cd34E',
      apiUrl: 'https://x.execute-api.eu-west-1.amazonaws.com/prod',
    });
    expect(resolveDeployment({ clientId: 'other' }, { SRE_AGENT_REGION: 'us-east-1' }, dir)).toMatchObject({ clientId: 'other', region: 'us-east-1' });
    expect(resolveDeployment({ userPoolId: 'ap-south-1_x' }, {}, tmpdir())).toMatchObject({ region: 'ap-south-1' });
  });
});

describe('sre-agent users add', () => {
  it('creates the user and adds admins to the admins group', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'b1c2-uuid' } });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    expect(await addUser(client(), { userPoolId: 'eu-west-1_Ab12Cd34E', email: 'bob@example.com', admin: true })).toEqual({ username: 'b1c2-uuid', created: true });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input).toEqual({
      UserPoolId: 'eu-west-1_Ab12Cd34E',
      Username: 'bob@example.com',
      UserAttributes: [
        { Name: 'email', Value: 'bob@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]!.args[0].input).toEqual({ UserPoolId: 'eu-west-1_Ab12Cd34E', Username: 'b1c2-uuid', GroupName: 'admins' });

    cognito.reset();
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'c-uuid' } });
    await addUser(client(), { userPoolId: 'p', email: 'carol@example.com', admin: false });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });

  it('an existing user is refused, unless only promoting to admin', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    await expect(addUser(client(), { userPoolId: 'p', email: 'bob@example.com', admin: false })).rejects.toThrow(/already exists/);
    expect(await addUser(client(), { userPoolId: 'p', email: 'bob@example.com', admin: true })).toEqual({ username: 'bob@example.com', created: false });
  });
});
