global using Xunit;
global using NagrywanieRozmow.Tests.Infrastructure;
